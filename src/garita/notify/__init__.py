"""Which events become messages to applicants: a scheduled scan over the features'
state (watermarks), never a hook on the request path. Sending is ``garita.messaging``'s."""
