Feature: Who may do what (權限)
  The union's records are legal records: a mediator works on the cases of the union bodies
  they work for, big aid takes a supervisor, an auditor reads and reports but changes
  nothing. A refused command changes no case; the refusal itself is kept for a supervisor.

  Background:
    Given these actors
      | actor | role        | bodies      |
      | m-sub | mediator    | subdistrict |
      | m-cty | mediator    | county      |
      | a-cty | aid_officer | county      |
      | sup   | supervisor  | *           |
      | sup-cty | supervisor | county     |
      | aud   | auditor     | *           |
    And a dispute of subdistrict received by sup

  Rule: A mediator advances only the disputes of their own union bodies

    Scenario Outline: <actor> tries to accept a dispute of subdistrict: <outcome>
      When <actor> accepts the dispute
      Then the command is <outcome>

      Examples:
        | actor | outcome |
        | m-sub | made    |
        | m-cty | refused |
        | a-cty | refused |
        | sup   | made    |
        | aud   | refused |
        | m-new | refused |

  Rule: Reads are scoped like writes: a body's cases for those who work for it, personal data for the roles that work with the people

    Scenario Outline: <actor> reads the dispute of subdistrict: <outcome>
      When <actor> reads the dispute
      Then the read is <outcome>

      Examples:
        | actor | outcome                        |
        | m-sub | shown                          |
        | m-cty | refused                        |
        | sup   | shown                          |
        | aud   | shown without the petitioner   |
        | m-new | refused                        |

  Rule: Approving aid above the thresholds (2,000 yuan one-off, 300 a month) takes a supervisor

    Scenario Outline: <actor> approves <help> of <amount>: <outcome>
      Given an accepted aid case of county
      When <actor> approves it as <help> of <amount>
      Then the command is <outcome>

      Examples:
        | actor | help            | amount  | outcome |
        | a-cty | one_off         | 2000.00 | made    |
        | a-cty | one_off         | 2000.01 | refused |
        | sup   | one_off         | 5000.00 | made    |
        | a-cty | monthly_subsidy | 300.00  | made    |
        | a-cty | monthly_subsidy | 300.01  | refused |
        | sup   | monthly_subsidy | 450.00  | made    |
        | m-cty | one_off         | 100.00  | refused |

  Rule: What one worker gets from a body adds up: one-offs over 12 months, subsidies running at once, campaign payments over 12 months (1,000 yuan), so a big payment cannot be split

    Scenario: a third one-off of 1,000 yuan to one worker within a year takes a supervisor
      Given worker W-1 of county already had one-off aid of 1000 and 1000 this year
      When a-cty approves another one-off of 1000 for W-1
      Then the command is refused
      When sup approves another one-off of 1000 for W-1
      Then the command is made

  Rule: Money leaves a fund only at the hands of someone who works for the fund's body

    Scenario: an aid officer of county may not pay from subdistrict's fund
      Given an accepted aid case of county
      When a-cty decides one-off relief of 500 from subdistrict's fund
      Then the command is refused

  Rule: A refusal changes no case and is visible to a supervisor, not in the case's events

    Scenario: a mediator of another body is refused, and the supervisor sees it
      When m-cty accepts the dispute
      Then the command is refused
      And the dispute is still received, its history unchanged
      And sup sees 1 refusal: m-cty tried to accept the dispute
      And m-sub may not read the refusals
      And sup-cty, supervisor of county only, sees no refusal of subdistrict

  Rule: Plain single-user use needs no setup

    Scenario: without an actors file anyone named may do anything
      Given no actors file
      When anyone-at-all accepts the dispute
      Then the command is made
