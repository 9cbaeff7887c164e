"""The event page and its parts: everything a cashier sees before seats are held.

``page`` (``EventPage``) shows one event at a time; ``views`` holds the offers, availability,
inventory and seat map of that event; ``salecontrols`` the ticket type, quantity and how to pick
seats, with the **Reserve** button; ``reserving`` drives the reserve (captcha, waiting in line);
``salerules`` the widget side of the sale rules; ``offers``, ``availability`` and ``inventory``
the tables. The pages after a reserve live in ``app.gui.sale``.
"""
