'use strict';

// A Homey app that receives Switchboard webhooks. Compared with the SDK's example (this.homey.cloud.createWebhook),
// the one change is where the webhook comes from: a SwitchboardCloud that keeps its credentials in this.homey.settings.

const Homey = require('homey');
const { SwitchboardCloud } = require('@switchboard/homey-cloud');

class App extends Homey.App {
  async onInit() {
    this.cloud = new SwitchboardCloud({ url: Homey.env.SWITCHBOARD_URL, store: this.homey.settings });
    this.cloud.on('error', (error) => this.error('Switchboard:', error.message));

    // Option 1 of the SDK page: give the manufacturer this URL when registering a webhook dynamically.
    const homeyId = await this.cloud.getHomeyId();
    this.log(`Webhook URL for this Homey: ${Homey.env.SWITCHBOARD_URL}/webhook/${Homey.env.WEBHOOK_ID}?homey=${homeyId}`);

    const id = Homey.env.WEBHOOK_ID;
    const secret = Homey.env.WEBHOOK_SECRET;
    const data = {
      // Option 2: a key path set on the webhook in the portal matches one of these.
      $keys: ['aaa', 'bbb'],
      // Option 3: a legacy cloud function reads this as homey_data.deviceId.
      deviceId: 'aaabbbccc',
    };
    const myWebhook = await this.cloud.createWebhook(id, secret, data);

    myWebhook.on('message', (args) => {
      this.log('Got a webhook message!');
      this.log('headers:', args.headers);
      this.log('query:', args.query);
      this.log('body:', args.body);
    });
    this.log(`Listening for webhook ${myWebhook.id}`);
  }

  async onUninit() {
    await this.cloud.close();
  }
}

module.exports = App;
