"""The main window's Orders menu: Orders… (Ctrl+Shift+O) and Close shift….

Kept apart from the orders window (``window``) so the main window's start-up does not load the
orders window, its receipt drawing and its tables: they are imported the first time the cashier
asks for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.gui.orders.window import OrdersWindow


class OrdersMenu:
    """The Orders menu of the main window: Orders… (Ctrl+Shift+O) and Close shift…; the orders
    window is made the first time it is asked for and then kept (its search and scope with it)."""

    def __init__(self, window, menu) -> None:
        from app.gui.menus import make_action

        self.window = window
        self.view: OrdersWindow | None = None
        self.open_action = make_action(window, "orders", "&Orders…", self.show, key="orders",
                                       tip="This station's orders: look one up, reprint it, the shift's totals")
        self.close_shift_action = make_action(window, "close_shift", "&Close shift…", self.close_shift,
                                              tip="Close the shift: its totals, then a new shift")
        menu.addAction(self.open_action)
        menu.addAction(self.close_shift_action)

    def show(self) -> OrdersWindow:
        if self.view is None:
            from app.gui.orders.window import OrdersWindow  # its rooms load when first asked for

            self.view = OrdersWindow(self.window.station, self.window)
        self.view.show()
        self.view.raise_()
        self.view.activateWindow()
        return self.view

    def close_shift(self) -> None:
        self.show().ask_close_shift()
