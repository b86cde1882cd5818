"""Regiekompas scoring core: pure functions from definitions and answers to scores and advice.

No web, database or plotting imports here (a test enforces it); the Flask app calls into this.
"""

from .advise import Advice, Reason, Recommendation, advise, factor_ranking
from .aggregate import DEFAULT_K, Gap, GroupFigure, GroupProfile, gaps, group_profile, suppress_groups
from .definitions import Catalog, Definitions, Intervention, Model, Questionnaire, Text
from .errors import DefinitionError, InputError, InputProblem, Problem
from .loader import load_definitions
from .reliability import Reliability, cronbach_alpha
from .result import result_dict
from .score import (
    DimensionScore,
    ScoreResult,
    check_answers,
    check_profile,
    keyed_value,
    score,
    validate_submission,
)
from .service import Evaluation, evaluate

__all__ = [
    "DEFAULT_K", "Advice", "Catalog", "Definitions", "DefinitionError", "DimensionScore", "Evaluation",
    "Gap", "GroupFigure", "GroupProfile", "InputError", "InputProblem", "Intervention", "Model",
    "Problem", "Questionnaire", "Reason", "Recommendation", "Reliability", "ScoreResult", "Text",
    "advise", "check_answers", "check_profile", "cronbach_alpha", "evaluate", "factor_ranking",
    "gaps", "group_profile", "keyed_value", "load_definitions", "result_dict", "score", "suppress_groups",
    "validate_submission",
]
