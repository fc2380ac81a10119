from sqlmodel import Field, SQLModel


class Commission(SQLModel, table=True):
    """A thematic commission of the network; everything a member sees is scoped by it."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=200)
    theme: str = Field(default="", max_length=200)
