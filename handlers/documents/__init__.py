"""Documents in the chat: /doc, the document buttons, the offers after a draw and a record."""
