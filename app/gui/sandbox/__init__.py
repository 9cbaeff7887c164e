"""The Sandbox menu (``menu``) and the sandbox state view (``state``): the tester's controls of the
local sandbox, shown only when the station sells against one."""
