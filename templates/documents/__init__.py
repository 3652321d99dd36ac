"""The official documents' templates: <kind>.docx (Word), <kind>.typ (PDF), documents.toml."""
