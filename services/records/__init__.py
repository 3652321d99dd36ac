"""Field records: tasks, results, problems, measures, evidence, review, publication."""
