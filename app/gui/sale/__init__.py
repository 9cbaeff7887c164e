"""The sale part of the window, from a reserved cart to a confirmed order.

``SaleFlow`` (flow.py) drives one ``CheckoutSession`` through shipping, payment, review, commit and
confirmation beside a ``CartPane`` (cartpane.py); ``cardcheck`` validates card forms without Qt.
"""
