"""The leaders' figures: period summaries, the annual paragraph and the weekly chart."""
