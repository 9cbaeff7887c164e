"""The request inspector: a dock listing every exchange with the service, masked (``dock``), over a
table model fed by the station's ``ExchangeLog`` (``model``)."""
