"""Role workbenches: inboxes of work items (pushes, routes, escalations, compliance alerts)."""
