"""The baseline: the echo bot a newcomer writes from line-bot-sdk's Flask example, nothing more.

    gunicorn --workers 2 --worker-class gthread --threads 8 'benchmarks.bare_sdk_bot:app'

WebhookParser checks the signature, one reply_message per text event, no matching, no store. The
webhook load benchmark runs it beside the project (`--baseline`) so that ratios come from one run.
"""
from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import MessageEvent, TextMessageContent

app = Flask(__name__)
configuration = Configuration(host=os.environ.get("LINE_API_BASE_URL", "https://api.line.me"),
                              access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"])
parser = WebhookParser(os.environ["LINE_CHANNEL_SECRET"])


@app.post("/callback")
def callback() -> str:
    body = request.get_data(as_text=True)
    try:
        events = parser.parse(body, request.headers.get("X-Line-Signature", ""))
    except InvalidSignatureError:
        abort(400)
    with ApiClient(configuration) as api_client:
        line_bot_api = MessagingApi(api_client)
        for event in events:
            if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
                line_bot_api.reply_message_with_http_info(
                    ReplyMessageRequest(reply_token=event.reply_token, messages=[TextMessage(text=event.message.text)])
                )
    return "OK"


@app.get("/healthz")
def healthz() -> str:
    return "ok"
