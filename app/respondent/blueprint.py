"""The respondent blueprint (no URL prefix); its views register on it."""

from flask import Blueprint

bp = Blueprint("respondent", __name__)
