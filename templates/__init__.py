"""Templates shipped with JointCheck (package data; a district overrides them in TEMPLATES_DIR)."""
