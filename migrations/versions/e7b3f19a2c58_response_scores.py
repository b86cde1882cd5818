"""response scores: each completed response keeps its factor and knob scores as rows, as computed with
its own questionnaire version, so team figures never score old answers with new definitions

Revision ID: e7b3f19a2c58
Revises: c4e2a9d1f6b3
Create Date: 2026-12-02 03:00:00

Existing responses get their rows from the result each one stored at submission (the "nl" entry,
else any): its factor scores, and for the employer scan its knob scores. The check-up's stored
result has no knob scores (only the employer scan's does), so for a check-up those are computed
from its stored answers, and only when the definitions the app has loaded are of the response's
own version (the same items it was scored with); of another version it gets no knob rows.
"""
import logging

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b3f19a2c58'
down_revision = 'c4e2a9d1f6b3'
branch_labels = None
depends_on = None

logger = logging.getLogger("alembic.runtime.migration")

BATCH = 500
DIMENSION_KEYS = ("score", "band", "answered", "items")


def upgrade():
    op.create_table(
        'response_score',
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('dimension', sa.String(length=64), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('band', sa.String(length=16), nullable=True),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('items', sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('factor', 'knob')", name='ck_response_score_kind'),
        sa.ForeignKeyConstraint(['response_id'], ['response.id'], ondelete='CASCADE',
                                name='fk_response_score_response_id_response'),
        sa.PrimaryKeyConstraint('response_id', 'kind', 'dimension', name='pk_response_score'),
    )
    with op.batch_alter_table('response_score', schema=None) as batch_op:
        batch_op.create_index('ix_response_score_kind_dimension', ['kind', 'dimension'], unique=False)
    fill()


def downgrade():
    with op.batch_alter_table('response_score', schema=None) as batch_op:
        batch_op.drop_index('ix_response_score_kind_dimension')
    op.drop_table('response_score')


def fill():
    """Rows for every completed response, from its stored result (see the module's docstring)."""
    response = sa.table('response', sa.column('id', sa.Integer), sa.column('slug', sa.String),
                        sa.column('version', sa.String), sa.column('status', sa.String),
                        sa.column('result', sa.JSON), sa.column('answers', sa.JSON), sa.column('profile', sa.JSON))
    scores = sa.table('response_score', sa.column('response_id', sa.Integer), sa.column('kind', sa.String),
                      sa.column('dimension', sa.String), sa.column('score', sa.Float),
                      sa.column('band', sa.String), sa.column('answered', sa.Integer),
                      sa.column('items', sa.Integer))
    connection = op.get_bind()
    questionnaires = _loaded_questionnaires()
    last = 0
    while True:  # in batches by id: a result is the largest column, and there may be many
        batch = connection.execute(
            sa.select(response.c.id, response.c.slug, response.c.version, response.c.result,
                      response.c.answers, response.c.profile)
            .where(response.c.status == 'completed', response.c.id > last)
            .order_by(response.c.id).limit(BATCH)).all()
        if not batch:
            return
        rows = []
        for row in batch:
            stored = _stored_entry(row.result)
            rows += _rows(row.id, 'factor', stored.get('factors'))
            knobs = stored.get('knobs')
            if knobs is None:
                knobs = _knobs_from_answers(questionnaires, row.slug, row.version, row.answers, row.profile)
            rows += _rows(row.id, 'knob', knobs)
        if rows:
            connection.execute(scores.insert(), rows)
        last = batch[-1].id


def _stored_entry(result) -> dict:
    """The stored result in Dutch, else in any language; ``{}`` when there is none."""
    if not isinstance(result, dict) or not result:
        return {}
    entry = result.get('nl')
    if not isinstance(entry, dict):
        entry = next((value for value in result.values() if isinstance(value, dict)), {})
    return entry


def _rows(response_id: int, kind: str, dimensions) -> list[dict]:
    if not isinstance(dimensions, dict):
        return []
    return [{'response_id': response_id, 'kind': kind, 'dimension': dimension,
             **{key: value.get(key) for key in DIMENSION_KEYS}}
            for dimension, value in dimensions.items()
            if isinstance(value, dict) and isinstance(value.get('answered'), int)
            and isinstance(value.get('items'), int)]


def _loaded_questionnaires() -> dict:
    """The questionnaires of the app running this migration (Flask-Migrate runs it in one), by slug."""
    from flask import current_app, has_app_context

    definitions = current_app.extensions.get('regiekompas.definitions') if has_app_context() else None
    if definitions is None:
        logger.warning("no questionnaire definitions loaded: check-ups get no knob score rows")
        return {}
    return dict(definitions.questionnaires)


def _knobs_from_answers(questionnaires: dict, slug: str, version: str, answers, profile) -> dict:
    """The knob scores of a response whose stored result has none, from its answers; only with the
    definitions of its own version (``{}`` otherwise)."""
    q = questionnaires.get(slug)
    if q is None or q.version != version or not q.items_by_knob:
        return {}
    from scoring import score

    answers = {key: value for key, value in (answers or {}).items() if isinstance(value, int) or value is None}
    result = score(q, answers, (), q.segments_for(profile or {}))
    return {knob: {'score': s.score, 'band': s.band, 'answered': s.answered, 'items': s.items}
            for knob, s in result.knobs.items()}
