"""The holiday calendar from chat: /calendar YEAR, what is known of a year and from where."""
