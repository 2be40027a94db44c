"""Writes of the funds domain, split by sub-domain: records (hand entry and corrections), projects (the one
status transition), notices (publication), ledger (the hash chain) and sms (the outbox rows each fact writes)."""
