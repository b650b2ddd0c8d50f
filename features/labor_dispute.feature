Feature: Labour-dispute cases (勞動爭議調處)
  A mediator at a union's dispute-mediation centre (調處中心) records a worker's petition
  (接待). It is answered as a consultation (咨詢答復), referred elsewhere (轉介), refused
  (不予受理) or accepted for mediation (受理); mediation ends in an agreement (調解協議書),
  a termination (終止調解) after which the party may apply for arbitration itself, a
  hand-over to labour inspection or a higher union, or the petitioner's withdrawal. The
  lifecycle lives in workflows/disputes.py; these rules say it in words, and
  test_spec_coverage.py fails when the tables below stop listing every state and move.
  The procedure's own rules — which rule applies by body and date, working days,
  extension, termination, agreements and their follow-up, collective disputes — are in
  mediation_procedure.feature (in Chinese, for the supervisors who sign them).

  Rule: A move is allowed only from the states the lifecycle names (案件流程)

    Scenario Outline: <move> from <state>: <outcome>
      Given a dispute that is <state>
      When the mediator tries to <move> it
      Then the outcome is <outcome>

      Examples:
        | state       | move                | outcome     |
        | received    | accept              | accepted    |
        | received    | answer              | answered    |
        | received    | refer               | referred    |
        | received    | decline             | declined    |
        | received    | start_mediation     | refused     |
        | received    | extend              | refused     |
        | received    | resolve             | refused     |
        | received    | terminate           | refused     |
        | received    | arbitration_applied | arbitration |
        | received    | follow_up           | refused     |
        | received    | review_applied      | refused     |
        | received    | escalate            | refused     |
        | received    | withdraw            | withdrawn   |
        | received    | reopen              | refused     |
        | accepted    | accept              | refused     |
        | accepted    | answer              | refused     |
        | accepted    | refer               | refused     |
        | accepted    | decline             | refused     |
        | accepted    | start_mediation     | mediating   |
        | accepted    | extend              | accepted    |
        | accepted    | resolve             | refused     |
        | accepted    | terminate           | terminated  |
        | accepted    | arbitration_applied | arbitration |
        | accepted    | follow_up           | refused     |
        | accepted    | review_applied      | refused     |
        | accepted    | escalate            | escalated   |
        | accepted    | withdraw            | withdrawn   |
        | accepted    | reopen              | refused     |
        | answered    | accept              | refused     |
        | answered    | answer              | refused     |
        | answered    | refer               | refused     |
        | answered    | decline             | refused     |
        | answered    | start_mediation     | refused     |
        | answered    | extend              | refused     |
        | answered    | resolve             | refused     |
        | answered    | terminate           | refused     |
        | answered    | arbitration_applied | refused     |
        | answered    | follow_up           | refused     |
        | answered    | review_applied      | refused     |
        | answered    | escalate            | refused     |
        | answered    | withdraw            | refused     |
        | answered    | reopen              | refused     |
        | referred    | accept              | refused     |
        | referred    | answer              | refused     |
        | referred    | refer               | refused     |
        | referred    | decline             | refused     |
        | referred    | start_mediation     | refused     |
        | referred    | extend              | refused     |
        | referred    | resolve             | refused     |
        | referred    | terminate           | refused     |
        | referred    | arbitration_applied | refused     |
        | referred    | follow_up           | refused     |
        | referred    | review_applied      | refused     |
        | referred    | escalate            | refused     |
        | referred    | withdraw            | refused     |
        | referred    | reopen              | refused     |
        | declined    | accept              | refused     |
        | declined    | answer              | refused     |
        | declined    | refer               | refused     |
        | declined    | decline             | refused     |
        | declined    | start_mediation     | refused     |
        | declined    | extend              | refused     |
        | declined    | resolve             | refused     |
        | declined    | terminate           | refused     |
        | declined    | arbitration_applied | refused     |
        | declined    | follow_up           | refused     |
        | declined    | review_applied      | refused     |
        | declined    | escalate            | refused     |
        | declined    | withdraw            | refused     |
        | declined    | reopen              | refused     |
        | mediating   | accept              | refused     |
        | mediating   | answer              | refused     |
        | mediating   | refer               | refused     |
        | mediating   | decline             | refused     |
        | mediating   | start_mediation     | refused     |
        | mediating   | extend              | mediating   |
        | mediating   | resolve             | resolved    |
        | mediating   | terminate           | terminated  |
        | mediating   | arbitration_applied | arbitration |
        | mediating   | follow_up           | refused     |
        | mediating   | review_applied      | refused     |
        | mediating   | escalate            | escalated   |
        | mediating   | withdraw            | withdrawn   |
        | mediating   | reopen              | refused     |
        | resolved    | accept              | refused     |
        | resolved    | answer              | refused     |
        | resolved    | refer               | refused     |
        | resolved    | decline             | refused     |
        | resolved    | start_mediation     | refused     |
        | resolved    | extend              | refused     |
        | resolved    | resolve             | refused     |
        | resolved    | terminate           | refused     |
        | resolved    | arbitration_applied | refused     |
        | resolved    | follow_up           | resolved    |
        | resolved    | review_applied      | resolved    |
        | resolved    | escalate            | refused     |
        | resolved    | withdraw            | refused     |
        | resolved    | reopen              | mediating   |
        | terminated  | accept              | refused     |
        | terminated  | answer              | refused     |
        | terminated  | refer               | refused     |
        | terminated  | decline             | refused     |
        | terminated  | start_mediation     | refused     |
        | terminated  | extend              | refused     |
        | terminated  | resolve             | refused     |
        | terminated  | terminate           | refused     |
        | terminated  | arbitration_applied | arbitration |
        | terminated  | follow_up           | refused     |
        | terminated  | review_applied      | refused     |
        | terminated  | escalate            | refused     |
        | terminated  | withdraw            | refused     |
        | terminated  | reopen              | mediating   |
        | arbitration | accept              | refused     |
        | arbitration | answer              | refused     |
        | arbitration | refer               | refused     |
        | arbitration | decline             | refused     |
        | arbitration | start_mediation     | refused     |
        | arbitration | extend              | refused     |
        | arbitration | resolve             | refused     |
        | arbitration | terminate           | refused     |
        | arbitration | arbitration_applied | refused     |
        | arbitration | follow_up           | refused     |
        | arbitration | review_applied      | refused     |
        | arbitration | escalate            | refused     |
        | arbitration | withdraw            | refused     |
        | arbitration | reopen              | refused     |
        | escalated   | accept              | refused     |
        | escalated   | answer              | refused     |
        | escalated   | refer               | refused     |
        | escalated   | decline             | refused     |
        | escalated   | start_mediation     | refused     |
        | escalated   | extend              | refused     |
        | escalated   | resolve             | refused     |
        | escalated   | terminate           | refused     |
        | escalated   | arbitration_applied | refused     |
        | escalated   | follow_up           | refused     |
        | escalated   | review_applied      | refused     |
        | escalated   | escalate            | refused     |
        | escalated   | withdraw            | refused     |
        | escalated   | reopen              | refused     |
        | withdrawn   | accept              | refused     |
        | withdrawn   | answer              | refused     |
        | withdrawn   | refer               | refused     |
        | withdrawn   | decline             | refused     |
        | withdrawn   | start_mediation     | refused     |
        | withdrawn   | extend              | refused     |
        | withdrawn   | resolve             | refused     |
        | withdrawn   | terminate           | refused     |
        | withdrawn   | arbitration_applied | refused     |
        | withdrawn   | follow_up           | refused     |
        | withdrawn   | review_applied      | refused     |
        | withdrawn   | escalate            | refused     |
        | withdrawn   | withdraw            | refused     |
        | withdrawn   | reopen              | refused     |

    Scenario Outline: a refusal from <state> names the moves allowed now
      Given a dispute that is <state>
      When the mediator tries a move the lifecycle does not allow from <state>
      Then it is refused, and the moves allowed now are: <allowed now>

      Examples:
        | state       | allowed now                                                                 |
        | received    | accept, answer, refer, decline, arbitration_applied, withdraw               |
        | accepted    | start_mediation, extend, terminate, arbitration_applied, escalate, withdraw |
        | answered    | none (the case is closed)                                                   |
        | referred    | none (the case is closed)                                                   |
        | declined    | none (the case is closed)                                                   |
        | mediating   | extend, resolve, terminate, arbitration_applied, escalate, withdraw         |
        | resolved    | follow_up, review_applied, reopen                                           |
        | terminated  | arbitration_applied, reopen                                                 |
        | arbitration | none (the case is closed)                                                   |
        | escalated   | none (the case is closed)                                                   |
        | withdrawn   | none (the case is closed)                                                   |

    Scenario: a petition is numbered per year of receipt, and its history says who did what
      Given a petition received on 2023-03-01 by m-01
      And a petition received on 2023-12-31 by m-01
      And a petition received on 2024-01-02 by m-02
      Then the petitions are numbered LD-2023-0001, LD-2023-0002, LD-2024-0001
      And the history of LD-2024-0001 is: receive by m-02 on 2024-01-02

  Rule: Mediation should end within 15 days of receipt (調解期限, 勞動爭議調解仲裁法 第十四條)

    A body that was never registered is a street centre, under the law's own rule
    (LDMAL-14): 15 calendar days from the day the application was received, however long
    acceptance took. Enterprise committees count from acceptance (mediation_procedure.feature).

    Scenario Outline: received on <received>, the deadline is <deadline>; on <day> it is <status>
      Given a dispute received on <received> and accepted on <accepted>
      Then its rule is LDMAL-14
      And its mediation deadline is <deadline>
      And on <day> it is <status>

      Examples:
        | received   | accepted   | deadline   | day        | status      |
        | 2023-03-01 | 2023-03-02 | 2023-03-16 | 2023-03-02 | not overdue |
        | 2023-03-01 | 2023-03-02 | 2023-03-16 | 2023-03-16 | not overdue |
        | 2023-03-01 | 2023-03-02 | 2023-03-16 | 2023-03-17 | overdue     |
        | 2023-02-20 | 2023-03-02 | 2023-03-07 | 2023-03-08 | overdue     |
        | 2023-12-20 | 2023-12-21 | 2024-01-04 | 2024-01-04 | not overdue |
        | 2023-12-20 | 2023-12-21 | 2024-01-04 | 2024-01-05 | overdue     |

    Scenario: a petition not yet accepted is on the clock from the day it was received
      Given a dispute received on 2023-01-03
      Then its mediation deadline is 2023-01-18
      And on 2023-01-18 it is not overdue
      And on 2023-06-30 it is overdue

    Scenario Outline: a dispute <ended> on <ended on> was overdue only until it ended
      Given a dispute received on 2023-03-01 and accepted on 2023-03-02
      And mediation started on 2023-03-03
      When it is <ended> on <ended on>
      Then on <day> it is <status>

      Examples:
        | ended      | ended on   | day        | status      |
        | resolved   | 2023-03-10 | 2023-03-20 | not overdue |
        | resolved   | 2023-03-25 | 2023-03-20 | overdue     |
        | resolved   | 2023-03-25 | 2023-03-25 | not overdue |
        | terminated | 2023-03-25 | 2023-03-20 | overdue     |
        | terminated | 2023-03-25 | 2023-03-26 | not overdue |
        | withdrawn  | 2023-03-25 | 2023-03-20 | overdue     |
        | withdrawn  | 2023-03-25 | 2023-04-01 | not overdue |

    Scenario Outline: the centre does not send a case to <to> on a party's behalf
      Given a dispute in mediation since 2023-03-03
      When the mediator tries to escalate it to <to> on 2023-03-30
      Then it is refused with InvalidInput naming to
      And the dispute is still mediating, its history unchanged

      Examples:
        | to          |
        | arbitration |
        | court       |

    Scenario Outline: a case can still be handed to <to>
      Given a dispute in mediation since 2023-03-03
      When the mediator tries to escalate it to <to> on 2023-03-04
      Then the dispute is escalated, to <to>

      Examples:
        | to                |
        | labour_inspection |
        | higher_union      |

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
        | escalate        | to             | "arbitration"      | InvalidInput |
        | escalate        | at             | "2023-03-01T08:00" | InvalidInput |
        | withdraw        | reason         | ""                 | InvalidInput |
        | withdraw        | actor          | ""                 | InvalidInput |
        | resolve         | case           | "LD-2023-9999"     | CaseNotFound |
        | escalate        | case           | "LD-1999-0001"     | CaseNotFound |
        | resolve         | case           | "not a number"     | InvalidInput |
