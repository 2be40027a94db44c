"""Oversight models, one module per subject (visits, petitions, rectification, training, …).

Each subject module is imported here so Django finds its models; add one line per subject, in alphabetical order.
"""
