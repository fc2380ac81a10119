import pytest

from analysis.frames import frame_from_records
from tests.analysis.survey import CODEBOOK, ROWS


@pytest.fixture
def frame():
    """The literal survey of survey.py as a responses frame."""
    return frame_from_records(ROWS, CODEBOOK)
