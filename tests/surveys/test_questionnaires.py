"""Questionnaires in the database: drafts saved whatever they hold, publishing freezes."""

import pytest
from sqlmodel import Session, func, select

from consult.db import make_engine
from consult.network.models import Commission
from surveys import questionnaires as service
from surveys.document import to_dict
from surveys.editing import add_question, set_relevance
from surveys.models import FrozenVersionError, Questionnaire, QuestionnaireVersion
from surveys.xlsform_export import export_xlsform
from tests.surveys.helpers import doc, q, xlsx


@pytest.fixture
def db(database_url):
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        commission = Commission(slug="jeunesse", name="Jeunesse")
        session.add(commission)
        session.commit()
        session.info["commission_id"] = commission.id
        yield session
    engine.dispose()


def count(db, table) -> int:
    return db.exec(select(func.count()).select_from(table)).one()


def test_a_blank_questionnaire_starts_as_draft_version_1(db):
    questionnaire = service.create_blank(db, db.info["commission_id"], "Essai")
    draft = service.current_draft(db, questionnaire.id)
    assert draft.number == 1 and draft.published_at is None
    [summary] = service.list_questionnaires(db, [db.info["commission_id"]])
    assert (summary.title, summary.versions, summary.published) == ("Essai", 1, False)
    assert service.list_questionnaires(db, [db.info["commission_id"] + 1]) == []


def test_a_draft_with_problems_is_saved_and_its_problems_returned(db):
    questionnaire = service.create_blank(db, db.info["commission_id"], "Essai")
    version, problems = service.edit_questionnaire(
        db,
        questionnaire.id,
        lambda d: set_relevance(
            add_question(d, "section_1", "text", {"fr": "Q"})[0], "q1", "${nope} = 1"
        ),
    )
    assert [p.code for p in problems] == ["C_UNKNOWN_NAME"]
    db.expire_all()
    stored = service.document_of(db.get(QuestionnaireVersion, version.id))
    assert stored.question("q1").relevant == "${nope} = 1"


def test_publishing_is_refused_while_there_are_problems(db):
    questionnaire = service.create_blank(db, db.info["commission_id"], "Essai")
    outcome = service.publish(db, questionnaire.id)
    assert outcome.version is None and [p.code for p in outcome.problems] == ["S_EMPTY"]
    assert service.current_draft(db, questionnaire.id) is not None


def test_publish_freezes_and_the_next_change_starts_a_new_version(db):
    questionnaire = service.create_questionnaire(db, db.info["commission_id"], doc(q("a", "text")))
    published = service.publish(db, questionnaire.id).version
    assert published.published_at is not None
    frozen = dict(published.document)
    with pytest.raises(FrozenVersionError):
        service.save_document(db, published, doc(q("b", "text")))
    version, problems = service.edit_questionnaire(
        db, questionnaire.id, lambda d: add_question(d, "main", "yes_no", {"fr": "?", "en": "?"})[0]
    )
    assert (version.number, problems) == (2, [])
    db.expire_all()
    assert db.get(QuestionnaireVersion, published.id).document == frozen
    [_, first] = service.version_history(db, questionnaire.id)
    latest = service.version_history(db, questionnaire.id)[0]
    assert latest.changes.added == ("q1",) and first.changes is None


def test_the_database_guard_refuses_any_change_to_a_published_document(db):
    questionnaire = service.create_questionnaire(db, db.info["commission_id"], doc(q("a", "text")))
    version = service.publish(db, questionnaire.id).version
    version.document = to_dict(doc(q("other", "text")))
    db.add(version)
    with pytest.raises(FrozenVersionError):
        db.commit()
    db.rollback()


def test_a_broken_xlsform_creates_nothing(db):
    broken = xlsx(
        survey="| type | name | label |\n| select_one colours | c | Couleur |",
        choices="| list_name | name | label |\n| sizes | s | S |",
    )
    created = service.import_questionnaire(db, db.info["commission_id"], broken, "f.xlsx")
    assert created.questionnaire is None
    assert [(p.code, p.params["row"]) for p in created.problems] == [("X_PYXFORM", 2)]
    assert count(db, Questionnaire) == 0


def test_an_xlsform_export_imports_back_to_the_same_document(db):
    document = doc(q("a", "yes_no"), q("b", "text", relevant="${a} = 'yes'"))
    data = export_xlsform(document)
    created = service.import_questionnaire(db, db.info["commission_id"], data, "f.xlsx")
    stored = service.document_of(service.latest_version(db, created.questionnaire.id))
    assert stored == document


def test_duplicating_copies_the_latest_version_as_a_new_draft(db):
    questionnaire = service.create_questionnaire(db, db.info["commission_id"], doc(q("a", "text")))
    service.publish(db, questionnaire.id)
    copy = service.duplicate_questionnaire(db, questionnaire.id)
    draft = service.current_draft(db, copy.id)
    assert draft.number == 1
    assert service.document_of(draft).title == {"fr": "Essai (copie)", "en": "Test (copy)"}
    assert copy.title == "Essai (copie)"
