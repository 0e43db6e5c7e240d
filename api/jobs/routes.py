"""Jobs: long work (large XLSX exports, packs, packets, imports) with progress."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from marshmallow import Schema, fields

from api.base import BINARY_FILE, V1_PREFIX, PageArgsSchema, ResourceBlueprint, page_request
from api.security import requires
from core.jobs.service import JobService
from core.models import Job
from core.paging import Page
from core.rules import JOB_KINDS, JOB_STATUSES
from web.caller import current_caller
from web.files import XLSX_TYPE, job_result_download
from web.inputs import one_of
from web.runtime import runtime

blp = ResourceBlueprint(
    "Jobs",
    __name__,
    description=(
        "Long work run in the background, with progress: poll a job at most once a second, "
        "cancel it, download its file when it has Succeeded"
    ),
)

LOCATION_HEADER = {
    "Location": {"description": "The job to poll: /v1/jobs/{id}", "schema": {"type": "string"}}
}


class JobSchema(Schema):
    id = fields.String(metadata={"example": "3f2a9c0d5e6b47a1b2c3d4e5f6a7b8c9"})
    org_id = fields.String()
    kind = fields.String(metadata={"enum": list(JOB_KINDS)})
    status = fields.String(metadata={"enum": list(JOB_STATUSES)})
    progress = fields.Integer(metadata={"description": "Percent done, 0..100, never decreasing"})
    message = fields.String(allow_none=True, metadata={"example": "Writing rows 40,000 of 100,000"})
    params = fields.Dict(metadata={"description": "What the job was asked to do"})
    result = fields.Dict(
        allow_none=True,
        metadata={"description": "What it made; a file is fetched from /download"},
    )
    error = fields.String(allow_none=True, metadata={"description": "Why it failed"})
    created_by = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    started_at = fields.AwareDateTime(allow_none=True)
    finished_at = fields.AwareDateTime(allow_none=True)


class JobQuerySchema(PageArgsSchema):
    kind = one_of(JOB_KINDS)
    status = one_of(JOB_STATUSES)


def accepted(job: Job) -> Response:
    """202 with the job and where to poll it: the answer of every route that starts one."""
    response = jsonify(JobSchema().dump(job))
    response.status_code = 202
    response.headers["Location"] = f"{V1_PREFIX}/jobs/{job.id}"
    return response


@blp.collection("/jobs", args=JobQuerySchema, item=JobSchema, decorators=(requires("viewer"),))
def list_jobs(args: dict[str, Any]) -> Page[Job]:
    """The organisation's jobs, newest first, filtered by kind and status"""
    return JobService(runtime()).page(
        current_caller(), args.get("kind"), args.get("status"), page_request(args)
    )


@blp.route_both("/jobs/<job_id>")
class JobById(MethodView):
    @requires("viewer")
    @blp.response(200, JobSchema)
    @blp.errors(404)
    @blp.doc(summary="One job, with its progress")
    def get(self, job_id: str) -> Any:
        return JobService(runtime()).get(current_caller(), job_id)


@blp.route_both("/jobs/<job_id>/cancel", methods=["POST"])
@requires("viewer")
@blp.response(200, JobSchema)
@blp.errors(403, 404, 409)
@blp.doc(
    summary="Cancel a job",
    description=(
        "A queued job is cancelled at once; a running one stops at its next progress step "
        "and keeps no file; a finished one answers 409. Its creator may cancel it, and so "
        "may an editor."
    ),
)
def cancel_job(job_id: str) -> Any:
    return JobService(runtime()).cancel(current_caller(), job_id)


@blp.route_both("/jobs/<job_id>/download")
@requires("viewer")
@blp.response(
    200,
    BINARY_FILE,
    description="The job's result file, streamed (an export job's: its XLSX workbook)",
    content_type=XLSX_TYPE,
)
@blp.errors(404, 409)
@blp.doc(summary="Download what a job made (409 until it has Succeeded)")
def download_job(job_id: str) -> Response:
    return job_result_download(job_id)
