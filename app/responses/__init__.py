"""Responses: a questionnaire filled in, from its start to its report, next steps, comparison and sharing."""
