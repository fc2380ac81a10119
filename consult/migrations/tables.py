"""Every table module, imported so that SQLModel.metadata knows the whole schema."""

from sqlmodel import SQLModel

import consult.accounts.models  # noqa: F401
import consult.network.models  # noqa: F401
import surveys.band_models  # noqa: F401
import surveys.image_store  # noqa: F401
import surveys.models  # noqa: F401

metadata = SQLModel.metadata
