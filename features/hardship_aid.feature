Feature: Hardship-aid cases (困難職工幫扶)
  An aid officer at a union's hardship-aid centre records a worker's request for help and
  carries it through the centre's five steps: received (接待), accepted (受理), handled
  (處理: approved or declined), implemented (落實: the help is delivered), feedback (反饋),
  then closes it. Help is one-off relief (一次性救助), a monthly subsidy (生活補助) or non-cash
  help (a job referral, legal aid). The lifecycle lives in workflows/aid.py.

  Rule: The five steps (五步工作法), 接待 → 受理 → 處理 → 落實 → 反饋, then closed

    Scenario: a request goes through the five steps and is closed
      Given a worker C-0001 on the hardship register
      When the aid officer receives a request from C-0001 by phone (接待)
      And the aid officer accepts it (受理)
      And the aid officer approves a re-employment referral (處理)
      And the aid officer implements it (落實)
      And the aid officer records the worker's feedback (反饋)
      And the aid officer closes it
      Then the aid case is closed
      And its history reads: receive, accept, approve, implement, record_feedback, close

    Scenario: a request may be declined at reception or once accepted (處理: 不予救助)
      Given an aid case that is accepted
      When the aid officer declines it because "household income above the line"
      Then the aid case is declined, because "household income above the line"

  Rule: A move is allowed only from the states the lifecycle names (案件流程)

    Scenario Outline: <move> from <state>: <outcome>
      Given an aid case that is <state>
      When the aid officer tries to <move> it
      Then the outcome is <outcome>

      Examples:
        | state             | move            | outcome           |
        | received          | accept          | accepted          |
        | received          | decline         | declined          |
        | received          | approve         | refused           |
        | received          | implement       | refused           |
        | received          | record_feedback | refused           |
        | received          | close           | refused           |
        | received          | escalate        | refused           |
        | received          | withdraw        | withdrawn         |
        | accepted          | accept          | refused           |
        | accepted          | decline         | declined          |
        | accepted          | approve         | approved          |
        | accepted          | implement       | refused           |
        | accepted          | record_feedback | refused           |
        | accepted          | close           | refused           |
        | accepted          | escalate        | escalated         |
        | accepted          | withdraw        | withdrawn         |
        | approved          | accept          | refused           |
        | approved          | decline         | refused           |
        | approved          | approve         | refused           |
        | approved          | implement       | implemented       |
        | approved          | record_feedback | refused           |
        | approved          | close           | refused           |
        | approved          | escalate        | escalated         |
        | approved          | withdraw        | withdrawn         |
        | implemented       | accept          | refused           |
        | implemented       | decline         | refused           |
        | implemented       | approve         | refused           |
        | implemented       | implement       | refused           |
        | implemented       | record_feedback | feedback_recorded |
        | implemented       | close           | refused           |
        | implemented       | escalate        | refused           |
        | implemented       | withdraw        | withdrawn         |
        | feedback_recorded | accept          | refused           |
        | feedback_recorded | decline         | refused           |
        | feedback_recorded | approve         | refused           |
        | feedback_recorded | implement       | refused           |
        | feedback_recorded | record_feedback | refused           |
        | feedback_recorded | close           | closed            |
        | feedback_recorded | escalate        | refused           |
        | feedback_recorded | withdraw        | withdrawn         |
        | declined          | accept          | refused           |
        | declined          | decline         | refused           |
        | declined          | approve         | refused           |
        | declined          | implement       | refused           |
        | declined          | record_feedback | refused           |
        | declined          | close           | refused           |
        | declined          | escalate        | refused           |
        | declined          | withdraw        | refused           |
        | closed            | accept          | refused           |
        | closed            | decline         | refused           |
        | closed            | approve         | refused           |
        | closed            | implement       | refused           |
        | closed            | record_feedback | refused           |
        | closed            | close           | refused           |
        | closed            | escalate        | refused           |
        | closed            | withdraw        | refused           |
        | escalated         | accept          | refused           |
        | escalated         | decline         | refused           |
        | escalated         | approve         | refused           |
        | escalated         | implement       | refused           |
        | escalated         | record_feedback | refused           |
        | escalated         | close           | refused           |
        | escalated         | escalate        | refused           |
        | escalated         | withdraw        | refused           |
        | withdrawn         | accept          | refused           |
        | withdrawn         | decline         | refused           |
        | withdrawn         | approve         | refused           |
        | withdrawn         | implement       | refused           |
        | withdrawn         | record_feedback | refused           |
        | withdrawn         | close           | refused           |
        | withdrawn         | escalate        | refused           |
        | withdrawn         | withdraw        | refused           |

    Scenario Outline: a refusal from <state> names the moves allowed now
      Given an aid case that is <state>
      When the aid officer tries a move the lifecycle does not allow from <state>
      Then it is refused, and the moves allowed now are: <allowed now>

      Examples:
        | state             | allowed now                                  |
        | received          | accept, decline, withdraw                    |
        | accepted          | decline, approve, escalate, withdraw         |
        | approved          | implement, escalate, withdraw                |
        | implemented       | record_feedback, withdraw                    |
        | feedback_recorded | close, withdraw                              |
        | declined          | none (the case is closed)                    |
        | closed            | none (the case is closed)                    |
        | escalated         | none (the case is closed)                    |
        | withdrawn         | none (the case is closed)                    |

  Rule: A case may be referred upwards once accepted or approved, and withdrawn while open

    Scenario Outline: a case <state> is referred to <to> (轉介)
      Given an aid case that is <state>
      When the aid officer refers it to <to> because "needs more than the centre can give"
      Then the aid case is escalated, referred to <to>

      Examples:
        | state    | to            |
        | accepted | higher_union  |
        | accepted | civil_affairs |
        | approved | higher_union  |
        | approved | civil_affairs |

    Scenario Outline: a referral to <to> is refused (<why>) and the case is unchanged
      Given an aid case that is accepted
      When the aid officer refers it to <to> because "needs more"
      Then it is refused with InvalidInput naming to
      And the aid case is still accepted, its history unchanged

      Examples:
        | to          | why                          |
        | court       | not a body aid is referred to |
        | arbitration | not a body aid is referred to |

  Rule: Only help that was approved and delivered moves money (誰可以領錢)

    Background:
      Given an aid fund county-aid holding 1000.00 yuan

    Scenario: one-off relief leaves its fund when it is delivered, not when approved
      Given an aid case for C-0001 approved for one-off relief of 300.00 from county-aid
      Then fund county-aid holds 1000.00 yuan
      When the aid officer implements it (落實)
      Then fund county-aid holds 700.00 yuan, having paid out 300.00
      And the aid case has paid 300.00

    Scenario: a declined case pays nothing
      Given an aid case that is declined
      When the aid officer tries to implement it
      Then it is refused with InvalidTransition naming implement
      And fund county-aid holds 1000.00 yuan, having paid out 0.00
      And the aid case has paid 0.00

    Scenario Outline: non-cash help (<kind>) is delivered without touching a fund
      Given an aid case for C-0001 approved for <kind> help
      When the aid officer implements it (落實)
      Then the aid case is implemented
      And the aid case has paid 0.00
      And fund county-aid holds 1000.00 yuan, having paid out 0.00

      Examples:
        | kind      |
        | referral  |
        | legal_aid |
        | other     |

    Scenario Outline: a monthly subsidy whose case is <state> is no longer paid by a payout
      Given an aid case for C-0001 approved for a monthly subsidy of 200.00 from county-aid from 2023-01
      And the aid case is <state> before the quarter is paid
      When the aid officer pays 2023Q1
      Then the payout pays nobody
      And fund county-aid holds 1000.00 yuan

      Examples:
        | state     |
        | escalated |
        | withdrawn |

    Scenario Outline: approving <help> with <field> = <value> is refused (<why>)
      Given an aid case that is accepted
      When the aid officer approves <help> with <field> = <value>
      Then it is refused with <error> naming <field>
      And the aid case is still accepted, its history unchanged

      Examples:
        | help              | field          | value          | error        | why                        |
        | one-off relief    | fund           | "no-such-fund" | CaseNotFound | the fund does not exist    |
        | one-off relief    | fund           | missing        | InvalidInput | relief needs a fund        |
        | one-off relief    | amount         | missing        | InvalidInput | relief needs an amount     |
        | one-off relief    | amount         | 0              | InvalidInput | not a positive amount      |
        | one-off relief    | amount         | -5.00          | InvalidInput | not a positive amount      |
        | one-off relief    | amount         | NaN            | InvalidInput | not a number               |
        | one-off relief    | kind           | "cash_grant"   | InvalidInput | an unknown kind of help    |
        | a monthly subsidy | first_month    | missing        | InvalidInput | a subsidy needs its start  |
        | a monthly subsidy | first_month    | "2023-13"      | InvalidInput | no such month              |
        | a monthly subsidy | monthly_amount | -150           | InvalidInput | not a positive amount      |
        | a monthly subsidy | months         | 0              | InvalidInput | fewer than one month       |
        | a monthly subsidy | months         | 1.5            | InvalidInput | not a whole number         |
        | a monthly subsidy | actor          | ""             | InvalidInput | nobody did it              |
