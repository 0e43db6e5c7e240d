"""The service of every declared register: the shared record rules plus its own checks."""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from core.caller import Caller
from core.models import model_of
from core.services.records import Problems, RecordService
from core.specs import register_of
from core.specs.record import Register


class RegisterService(RecordService[Any]):
    register: ClassVar[Register]

    def validate(
        self, session: Session, caller: Caller, values: dict[str, Any], current: Any | None
    ) -> dict[str, Any]:
        # Cross-field checks see the record as it would be stored: unchanged fields too.
        stored = {name: getattr(current, name) for name in self.fields} if current else {}
        whole = {**stored, **values}
        problems = Problems()
        for name, message in self.register.problems(whole).items():
            problems.add(name, message)
        problems.raise_if_any()
        return values


@cache
def service_of(entity: str) -> type[RegisterService]:
    """The service class of the register declared for `entity` ("management_review")."""
    register = register_of(entity)
    name = f"{model_of(entity).__name__}Service"
    attributes = {"model": model_of(entity), "spec": register.spec, "register": register}
    return type(name, (RegisterService,), attributes)
