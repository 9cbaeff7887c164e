"""The orders window: this station's sales from the journal (``window``), a sale's receipt rebuilt
for reprints and its details in words (``records``), and the unredeemed orders (``unredeemed``)."""
