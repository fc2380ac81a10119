"""A small literal survey shared by the analysis tests."""

from analysis.codebook import Codebook, Variable

GENDER = Variable(
    "gender", "single", "Gender", ("f", "m"), {"f": "Woman", "m": "Man"}, section="about"
)
HOBBIES = Variable(
    "hobbies",
    "multi",
    "Hobbies",
    ("sport", "music", "reading"),
    {"sport": "Sport", "music": "Music", "reading": "Reading"},
    asked_column="hobbies.asked",
)
SATISFACTION = Variable("satisfaction", "ordinal", "Satisfaction", ("1", "2", "3", "4"))
AGE = Variable("age", "numeric", "Age")
COMMENT = Variable("comment", "text", "Comment")
CODEBOOK = Codebook((GENDER, HOBBIES, SATISFACTION, AGE, COMMENT))


def response(i, campaign="2013", day="2013-01-07", **answers):
    return {
        "response_id": i,
        "campaign": campaign,
        "submitted_at": day,
        "channel": "link",
        **answers,
    }


NOT_ASKED = {"hobbies.asked": False}

#: 6 responses; respondent 6 was not asked the hobbies, respondent 5 skipped them.
ROWS = [
    response(
        1,
        gender="f",
        hobbies=["sport", "music"],
        satisfaction="4",
        age=15,
        comment="J'aime le sport",
    ),
    response(2, gender="f", hobbies=["music"], satisfaction="3", age=17, comment="Plus de sport !"),
    response(3, gender="m", hobbies=["sport", "music", "reading"], satisfaction="4", age=20),
    response(4, gender="m", hobbies=[], satisfaction="1", age=22, comment="  "),
    response(5, gender="f", hobbies=None, satisfaction=None, age=None),
    response(6, gender=None, hobbies=None, satisfaction="2", age=30, **NOT_ASKED),
]
