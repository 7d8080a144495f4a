"""A Homey-style app that receives cloud webhooks through Switchboard.

Written like the Homey SDK's Python example (``/app.py``): the only changes are where ``cloud`` comes from, a
``SwitchboardCloud`` built from ``SWITCHBOARD_URL`` in env.json that keeps its credentials in the app's settings, and
closing it in ``on_uninit``.
"""

from switchboard_homey import SwitchboardCloud, WebhookMessage


class App:
    def __init__(self, homey):
        self.homey = homey  # env, settings and log, as Homey's runtime provides them (see run.py)
        self.cloud = None

    def log(self, *args):
        self.homey.log(*args)

    async def on_init(self) -> None:
        env = self.homey.env
        self.cloud = SwitchboardCloud(url=env["SWITCHBOARD_URL"], store=self.homey.settings)
        self.cloud.on_error(lambda error: self.log("Switchboard error:", error))

        id = env["WEBHOOK_ID"]  # "56db7fb12dcf75604ea7977d"
        secret = env["WEBHOOK_SECRET"]  # "2uhf83h83h4gg34..."
        data = {
            # Provide unique properties for this Homey here: $keys for a key path, deviceId for a legacy function
            "$keys": ["aaa", "bbb"],
            "deviceId": "aaabbbccc",
        }

        my_webhook = await self.cloud.create_webhook(id, secret, data)

        def on_message(message: WebhookMessage) -> None:
            self.log("Got a webhook message!")
            self.log("headers:", message.get("headers"))
            self.log("query:", message.get("query"))
            self.log("body:", message.get("body"))

        my_webhook.on_message(on_message)
        # Option 1 (query parameter): tell the manufacturer's API to call .../webhook/<id>?homey=<this id>
        self.log("homeyId:", await self.cloud.get_homey_id())

    async def on_uninit(self) -> None:
        if self.cloud is not None:
            await self.cloud.close()


homey_export = App
