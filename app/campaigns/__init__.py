"""Campaigns: rounds of the questionnaires at a client organisation, entered through an invite link."""
