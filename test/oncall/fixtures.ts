/** The example, with the channels it names. */
export const ONCALL_EXAMPLE = `
notifications:
  - { name: payments-slack, type: slack, webhook_url: "https://hooks.slack.example/T0/B0/x" }
  - { name: pager-mail, type: email, smtp: "smtp://127.0.0.1:2525", from: "medic@example.com", to: ops@example.com }
people:
  - { name: alice, email: alice@example.com, slack: U024BE7LH, webhook: "https://hooks.example.com/alice" }
  - { name: bob, email: bob@example.com }
  - { name: carol, email: carol@example.com }
oncall:
  schedules:
    - name: payments-primary
      timezone: Europe/Berlin
      rotation: { start: "2026-11-30T09:00", every: 1w, people: [alice, bob] }
      overrides:
        - { person: carol, from: "2026-12-24T18:00", to: "2026-12-27T09:00" }
  escalation_policies:
    - name: payments
      page: on_escalation
      levels:
        - { notify: [schedule:payments-primary] }
        - { after: 10m, notify: [person:carol, channel:payments-slack] }
      repeat: 2
services:
  - { name: payment-service, escalation: payments }
`;
