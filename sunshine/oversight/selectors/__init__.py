"""Oversight reads, one module per subject; every list takes the actor and goes through jurisdiction scoping."""
