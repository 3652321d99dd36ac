"""The one list and two directories: imports and exports, credit codes, the demo district."""
