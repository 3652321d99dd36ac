"""Leaders' reports from chat: /summary with its chart, /report, and /outbox failures."""
