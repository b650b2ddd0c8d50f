Feature: The hardship register (特困職工檔案), kept current
  A union body keeps a register of its workers in special hardship: enrolled with a reason
  (illness, disability, single parent, unemployment, disaster, other), re-verified yearly
  (review), and taken off when the hardship ends (exit); a worker may come back later.
  Condolence campaigns pay only workers on the register, and the half-year report counts
  the register as it stood on a given date.

  Rule: A worker is enrolled, reviewed, exits, and may be enrolled again

    Scenario: enrol, review, exit and re-enrol
      When the aid officer enrols C-0001 on 2023-01-10 for illness
      Then C-0001 is on the register, for illness
      When the aid officer reviews C-0001 on 2023-06-01, now for disability
      Then C-0001 is on the register, for disability
      When C-0001 leaves the register on 2023-07-01, employed
      Then C-0001 is off the register since 2023-07-01, employed
      When the aid officer enrols C-0001 on 2023-09-01 for unemployment
      Then C-0001 is on the register, for unemployment
      And the register history of C-0001 reads: enrol, review, exit, enrol

    Scenario Outline: with C-0001 <standing>, <command> with <field> = <value> is refused (<why>)
      Given C-0001 <standing>
      When the aid officer tries to <command> C-0001 with <field> = <value>
      Then it is refused with <error> naming <field>
      And the register entry of C-0001 is unchanged

      Examples:
        | standing            | command | field  | value              | error         | why                           |
        | on the register     | enrol   | worker | "C-0001"           | AlreadyExists | already on the register       |
        | on the register     | enrol   | reason | "bad luck"         | InvalidInput  | not a hardship reason         |
        | on the register     | review  | reason | ""                 | InvalidInput  | no reason given               |
        | on the register     | review  | at     | "2023-01-09T09:00" | InvalidInput  | before the worker was enrolled |
        | on the register     | review  | actor  | ""                 | InvalidInput  | nobody did it                 |
        | on the register     | exit    | reason | "bored"            | InvalidInput  | not a reason to leave         |
        | on the register     | review  | worker | "C-0404"           | CaseNotFound  | nobody by that id             |
        | off the register    | review  | worker | "C-0001"           | InvalidInput  | an exited worker is not reviewed |
        | off the register    | exit    | worker | "C-0001"           | InvalidInput  | already off the register      |
        | off the register    | enrol   | at     | "2023-02-28T09:00" | InvalidInput  | before the worker left        |

  Rule: An exited worker cannot be paid by a campaign

    Background:
      Given an aid fund county-aid holding 1000.00 yuan
      And C-0001 on the register
      And C-0002 on the register

    Scenario: a campaign listing an exited worker is refused, and nobody is paid
      Given C-0001 left the register on 2023-03-01
      When the aid officer runs campaign 2023-mid-autumn paying 200.00 each to C-0001, C-0002
      Then it is refused with InvalidInput naming workers
      And fund county-aid holds 1000.00 yuan, having paid out 0.00
      And the register records 2023-mid-autumn for nobody but not C-0001, C-0002

    Scenario: a worker enrolled again may be paid again
      Given C-0001 left the register on 2023-03-01
      And the aid officer enrols C-0001 on 2023-08-01 for unemployment
      When the aid officer runs campaign 2023-mid-autumn paying 200.00 each to C-0001, C-0002
      Then the campaign pays C-0001, C-0002 200.00 each
      And fund county-aid holds 600.00 yuan, having paid out 400.00

  Rule: The register is counted as it stood on a date, per union body and rolled up

    Background:
      Given these register moves:
        | on         | worker | move  | org         |
        | 2023-01-10 | C-0001 | enrol | county      |
        | 2023-02-10 | C-0002 | enrol | county      |
        | 2023-02-15 | S-0001 | enrol | subdistrict |
        | 2023-03-10 | C-0001 | exit  | county      |
        | 2023-04-01 | C-0003 | enrol | county      |
        | 2023-05-10 | C-0001 | enrol | county      |
        | 2023-06-30 | S-0001 | exit  | subdistrict |

    Scenario Outline: on <day> the register counts <county> in the county, <subdistrict> in the subdistrict, <all> in all
      Then on <day> the register of county counts <county>
      And on <day> the register of subdistrict counts <subdistrict>
      And on <day> the register of every body counts <all>

      Examples:
        | day        | county | subdistrict | all |
        | 2023-01-09 | 0      | 0           | 0   |
        | 2023-01-10 | 1      | 0           | 1   |
        | 2023-02-28 | 2      | 1           | 3   |
        | 2023-03-10 | 1      | 1           | 2   |
        | 2023-04-30 | 2      | 1           | 3   |
        | 2023-05-10 | 3      | 1           | 4   |
        | 2023-06-30 | 3      | 0           | 3   |
