"""The sale part of the window, from a reserved cart to a confirmed order.

``SaleFlow`` (flow.py) drives one ``CheckoutSession`` through shipping, payment, review, commit and
confirmation beside a ``CartPane`` (cartpane.py); ``steps`` sends the payment and places the order.
Without Qt: ``cardcheck`` and ``buyercheck`` validate the payment form, ``seats`` tells which seats
a cart item holds.
"""

# Exported lazily, so ``app.gui.sale.cardcheck`` stays importable without pulling in Qt.
_EXPORTS = {"CartPane": "cartpane", "SaleFlow": "flow", "Receipt": "receipt", "SaleEvent": "receipt"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f"app.gui.sale.{_EXPORTS[name]}"), name)
    raise AttributeError(name)
