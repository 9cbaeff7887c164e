"""The seat map: a venue drawn from the availability answer's inventory.

``layout`` turns the inventory into sections, rows and seat positions (pure Python, run on a worker
thread); ``items`` draws them; ``navigation`` zooms and pans; ``overlay`` holds the legend and the
zoom buttons; ``picks`` keeps the seats the cashier picked; ``view`` (``SeatMapView``) puts it all
together for the event page.
"""
