"""The member's room of the window: the sign-in dialog (a web view on the provider's page) and the
Member menu and toolbar button that drive the station's ``MemberDesk``."""
