"""Thin typed query helpers over the store, shared by tools (one module per model area).

Each function takes an open `Session` and returns ORM objects; callers own the transaction.
"""
