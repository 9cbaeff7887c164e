"""The sale part of the window, from a reserved cart to a confirmed order.

``SaleFlow`` (flow.py) drives one ``CheckoutSession`` through shipping, payment, review, commit and
confirmation beside a ``CartPane`` (cartpane.py); ``steps`` sends the payment and places the order.
The rules these pages show are the core's, shared with the command line: card and buyer checks in
``app.checkout.paymentform`` (``cardrules``, ``buyerrules``, ``countries``), the default delivery
in ``app.checkout.delivery``, how seats are written in ``app.checkout.seatlabels``.
"""
