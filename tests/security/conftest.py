from tests.web.conftest import any_db_client  # noqa: F401  (the same app on both databases)
