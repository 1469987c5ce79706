"""Marian admin: organizations, their users and API keys, and the translation
jobs they submit to the Marian NMT workers."""
