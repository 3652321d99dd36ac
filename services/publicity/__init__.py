"""After publication: versions, objections and corrections, abnormal-operations proposals."""
