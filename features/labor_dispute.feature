Feature: Labour-dispute cases (勞動爭議調處)
  A mediator at a union's dispute-mediation centre (調處中心) records a worker's petition
  (接待) and carries it through its life: accepted for mediation (受理), mediated (調解),
  then resolved (調解成功), escalated to arbitration or a court (轉仲裁/訴訟), declined or
  withdrawn. The lifecycle lives in workflows/disputes.py; these rules say it in words,
  and test_spec_coverage.py fails when the tables below stop listing every state and move.

  Rule: A move is allowed only from the states the lifecycle names (案件流程)

    Scenario Outline: <move> from <state>: <outcome>
      Given a dispute that is <state>
      When the mediator tries to <move> it
      Then the outcome is <outcome>

      Examples:
        | state     | move            | outcome   |
        | received  | accept          | accepted  |
        | received  | decline         | declined  |
        | received  | start_mediation | refused   |
        | received  | resolve         | refused   |
        | received  | escalate        | refused   |
        | received  | withdraw        | withdrawn |
        | accepted  | accept          | refused   |
        | accepted  | decline         | refused   |
        | accepted  | start_mediation | mediating |
        | accepted  | resolve         | refused   |
        | accepted  | escalate        | escalated |
        | accepted  | withdraw        | withdrawn |
        | mediating | accept          | refused   |
        | mediating | decline         | refused   |
        | mediating | start_mediation | refused   |
        | mediating | resolve         | resolved  |
        | mediating | escalate        | escalated |
        | mediating | withdraw        | withdrawn |
        | declined  | accept          | refused   |
        | declined  | decline         | refused   |
        | declined  | start_mediation | refused   |
        | declined  | resolve         | refused   |
        | declined  | escalate        | refused   |
        | declined  | withdraw        | refused   |
        | resolved  | accept          | refused   |
        | resolved  | decline         | refused   |
        | resolved  | start_mediation | refused   |
        | resolved  | resolve         | refused   |
        | resolved  | escalate        | refused   |
        | resolved  | withdraw        | refused   |
        | escalated | accept          | refused   |
        | escalated | decline         | refused   |
        | escalated | start_mediation | refused   |
        | escalated | resolve         | refused   |
        | escalated | escalate        | refused   |
        | escalated | withdraw        | refused   |
        | withdrawn | accept          | refused   |
        | withdrawn | decline         | refused   |
        | withdrawn | start_mediation | refused   |
        | withdrawn | resolve         | refused   |
        | withdrawn | escalate        | refused   |
        | withdrawn | withdraw        | refused   |

    Scenario Outline: a refusal from <state> names the moves allowed now
      Given a dispute that is <state>
      When the mediator tries a move the lifecycle does not allow from <state>
      Then it is refused, and the moves allowed now are: <allowed now>

      Examples:
        | state     | allowed now                       |
        | received  | accept, decline, withdraw         |
        | accepted  | start_mediation, escalate, withdraw |
        | mediating | resolve, escalate, withdraw       |
        | declined  | none (the case is closed)         |
        | resolved  | none (the case is closed)         |
        | escalated | none (the case is closed)         |
        | withdrawn | none (the case is closed)         |

    Scenario: a petition is numbered per year of receipt, and its history says who did what
      Given a petition received on 2023-03-01 by m-01
      And a petition received on 2023-12-31 by m-01
      And a petition received on 2024-01-02 by m-02
      Then the petitions are numbered LD-2023-0001, LD-2023-0002, LD-2024-0001
      And the history of LD-2024-0001 is: receive by m-02 on 2024-01-02

  Rule: Mediation should end within 15 days of acceptance (調解期限, 勞動爭議調解仲裁法 第十四條)

    Scenario Outline: accepted on <accepted>, the deadline is <deadline>; on <day> it is <status>
      Given a dispute received on 2023-01-03 and accepted on <accepted>
      Then its mediation deadline is <deadline>
      And on <day> it is <status>

      Examples:
        | accepted   | deadline   | day        | status      |
        | 2023-03-02 | 2023-03-17 | 2023-03-02 | not overdue |
        | 2023-03-02 | 2023-03-17 | 2023-03-17 | not overdue |
        | 2023-03-02 | 2023-03-17 | 2023-03-18 | overdue     |
        | 2023-02-20 | 2023-03-07 | 2023-03-08 | overdue     |
        | 2023-12-20 | 2024-01-04 | 2024-01-04 | not overdue |
        | 2023-12-20 | 2024-01-04 | 2024-01-05 | overdue     |

    Scenario: a dispute not yet accepted has no clock running
      Given a dispute received on 2023-01-03
      Then it has no mediation deadline
      And on 2023-06-30 it is not overdue

    Scenario Outline: a dispute <ended> on <ended on> was overdue only until it ended
      Given a dispute received on 2023-03-01 and accepted on 2023-03-02
      And mediation started on 2023-03-03
      When it is <ended> on <ended on>
      Then on <day> it is <status>

      Examples:
        | ended     | ended on   | day        | status      |
        | resolved  | 2023-03-10 | 2023-03-20 | not overdue |
        | resolved  | 2023-03-25 | 2023-03-20 | overdue     |
        | resolved  | 2023-03-25 | 2023-03-25 | not overdue |
        | escalated | 2023-03-25 | 2023-03-20 | overdue     |
        | escalated | 2023-03-25 | 2023-03-26 | not overdue |
        | withdrawn | 2023-03-25 | 2023-03-20 | overdue     |
        | withdrawn | 2023-03-25 | 2023-04-01 | not overdue |

    Scenario Outline: escalation stays allowed at any time, from <state>, on <day>
      Given a dispute accepted on 2023-03-02 that is <state> on 2023-03-03
      When it is escalated to arbitration on <day>
      Then the dispute is escalated, to arbitration

      Examples:
        | state     | day        |
        | accepted  | 2023-03-04 |
        | accepted  | 2023-03-17 |
        | accepted  | 2023-05-30 |
        | mediating | 2023-03-04 |
        | mediating | 2023-03-17 |
        | mediating | 2023-05-30 |

    Scenario: the list of overdue disputes (逾期案件) is read at a date
      Given disputes accepted for mediation:
        | case         | accepted   | resolved   |
        | LD-2023-0001 | 2023-03-01 |            |
        | LD-2023-0002 | 2023-03-10 |            |
        | LD-2023-0003 | 2023-03-01 | 2023-03-12 |
        | LD-2023-0004 | 2023-03-02 |            |
        | LD-2023-0005 | 2023-03-01 | 2023-03-20 |
      Then the disputes overdue on 2023-03-16 are none
      And the disputes overdue on 2023-03-17 are LD-2023-0001, LD-2023-0005
      And the disputes overdue on 2023-03-18 are LD-2023-0001, LD-2023-0004, LD-2023-0005
      And the disputes overdue on 2023-03-21 are LD-2023-0001, LD-2023-0004

  Rule: Bad input is refused with a CaseworkError a mediator can act on, and nothing is stored

    Scenario Outline: a petition with <field> = <value> is refused (<why>)
      Given a petition received on 2023-03-01 by m-01
      When a petition is received with <field> = <value>
      Then it is refused with InvalidInput naming <field>
      And no dispute was stored: the next good petition becomes LD-2023-0002

      Examples:
        | field    | value            | why                     |
        | workers  | 0                | fewer than one worker   |
        | workers  | -3               | fewer than one worker   |
        | workers  | 2.5              | not a whole number      |
        | workers  | "3"              | text, not a number      |
        | workers  | true             | a yes/no, not a number  |
        | amount   | -0.01            | negative                |
        | amount   | NaN              | not a number            |
        | amount   | Infinity         | infinite                |
        | amount   | -Infinity        | infinite                |
        | amount   | "twelve"         | not a number            |
        | category | "salary"         | unknown category        |
        | channel  | "fax"            | unknown channel         |
        | employer | ""               | empty                   |
        | employer | "   "            | blank                   |
        | actor    | ""               | empty                   |
        | at       | "2100-01-01T09:00" | in the future         |
        | at       | "yesterday"      | not a date and time     |

    Scenario Outline: <command> with <field> = <value> is refused with <error>, and the case is unchanged
      Given a dispute in mediation since 2023-03-03
      When the mediator tries to <command> it with <field> = <value>
      Then it is refused with <error> naming <field>
      And the dispute is still mediating, its history unchanged

      Examples:
        | command         | field          | value              | error        |
        | resolve         | settled_amount | -1                 | InvalidInput |
        | resolve         | settled_amount | NaN                | InvalidInput |
        | resolve         | settled_amount | Infinity           | InvalidInput |
        | resolve         | at             | "2023-03-02T09:00" | InvalidInput |
        | resolve         | at             | "2100-01-01T09:00" | InvalidInput |
        | resolve         | actor          | ""                 | InvalidInput |
        | resolve         | actor          | "   "              | InvalidInput |
        | escalate        | to             | "ombudsman"        | InvalidInput |
        | escalate        | to             | ""                 | InvalidInput |
        | escalate        | at             | "2023-03-01T08:00" | InvalidInput |
        | withdraw        | reason         | ""                 | InvalidInput |
        | withdraw        | actor          | ""                 | InvalidInput |
        | resolve         | case           | "LD-2023-9999"     | CaseNotFound |
        | escalate        | case           | "LD-1999-0001"     | CaseNotFound |
        | resolve         | case           | "not a number"     | InvalidInput |
