"""After publication: /objection, /objections and /abnormal."""
