"""Box Office: sell tickets through the Ticketmaster Partner API from a desktop window."""

__version__ = "0.1.0"
