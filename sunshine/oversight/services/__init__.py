"""Oversight writes, one module per subject (`from sunshine.oversight.services.visits import visit_record`)."""
