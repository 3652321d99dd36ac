"""Field records from chat: /tasks, /progress, /record, /followup, /review and /publish."""
