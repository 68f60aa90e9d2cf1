"""Errors mapped by type to pages: bad query → 400, no index → 503, unknown id → 404.

Each handler names the exception it serves; nothing catches ``Exception`` wholesale,
so a real bug still shows up as a 500 in the log instead of a misleading message.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.compare import CompareError
from indexer.errors import CorruptIndex, StoreUnavailable
from indexer.query import IndexMissing, QueryError

from .params import MAX_TEXT, SEARCH_KEYS, BadParam

TITLES = {
    400: "请求有误",
    404: "未找到",
    405: "不支持的请求方法",
    500: "服务器内部错误",
    503: "索引不可用",
}


def error_response(status: int, message: str, hint: str | None = None):
    """A JSON body for ``/api``, else a full error page (or its partial for htmx)."""
    title = TITLES.get(status, "出错了")
    if request.path.startswith("/api/"):
        body = {"error": title, "message": message, "status": status}
        if hint:
            body["hint"] = hint
        return jsonify(body), status
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "_error.html" if partial else "error.html"
    # The raw query string, cut to size, refills the search form shown above the message.
    state = {k: v[:MAX_TEXT] for k in SEARCH_KEYS if (v := request.args.get(k, "").strip())}
    html = render_template(
        template,
        status=status,
        title=title,
        message=message,
        hint=hint,
        state=state,
        q=state.get("q", ""),
    )
    return html, status


def on_query_error(exc: QueryError):
    return error_response(400, str(exc) or "查询语法有误。", "检查引号和括号是否成对。")


def on_bad_param(exc: BadParam):
    return error_response(400, str(exc))


def on_index_missing(exc: IndexMissing):
    cfg = current_app.config
    hint = f"先建立索引：fazhi index {cfg['CORPUS_DIR']} --index {cfg['INDEX_DIR']}"
    return error_response(503, str(exc) or "索引尚未建立。", hint)


def on_store_unavailable(exc: StoreUnavailable):
    return error_response(503, str(exc), "检索集群暂时无法连接，请稍后重试或联系管理员。")


def on_corrupt_index(exc: CorruptIndex):
    cfg = current_app.config
    hint = f"重建索引即可修复：fazhi index {cfg['CORPUS_DIR']} --index {cfg['INDEX_DIR']}"
    return error_response(503, str(exc), hint)


def on_compare_error(exc: CompareError):
    return error_response(404, str(exc) or "无法比较：没有找到所指的任务、单位或报告。")


def on_http_error(exc: HTTPException):
    messages = {
        404: "没有这个页面或报告。",
        405: "本站只读，只接受 GET 请求。",
        500: "服务器内部错误，已记录在日志中。",
    }
    status = exc.code or 500
    return error_response(status, messages.get(status, exc.description or ""))


def init_app(app: Flask) -> None:
    app.register_error_handler(QueryError, on_query_error)
    app.register_error_handler(BadParam, on_bad_param)
    app.register_error_handler(IndexMissing, on_index_missing)
    app.register_error_handler(CompareError, on_compare_error)
    app.register_error_handler(StoreUnavailable, on_store_unavailable)
    app.register_error_handler(CorruptIndex, on_corrupt_index)
    app.register_error_handler(HTTPException, on_http_error)
