Feature: Aid funds (幫扶資金): where every yuan came from, where it went, and when
  A union body opens an aid fund, feeds it from donation drives (一日捐) and allocations
  from a higher federation, and pays workers from it: one-off relief, monthly subsidies
  paid out a quarter at a time (按季發放), holiday condolence campaigns (元旦春節慰問).

  Rule: A fund never goes below zero (不得透支), and a refused payment stores nothing

    Background:
      Given an aid fund county-aid holding 500.00 yuan

    Scenario Outline: one-off relief of <amount> from a fund holding 500.00 is <outcome>
      Given an aid case for C-0001 approved for one-off relief of <amount> from county-aid
      When the aid officer tries to deliver it (落實)
      Then the payment is <outcome>
      And fund county-aid holds <left> yuan, having paid out <out>

      Examples:
        | amount | outcome | left   | out    |
        | 499.99 | made    | 0.01   | 499.99 |
        | 500.00 | made    | 0.00   | 500.00 |
        | 500.01 | refused | 500.00 | 0.00   |
        | 800.00 | refused | 500.00 | 0.00   |

    Scenario: a refused payment stores neither the case's move nor the fund's movement
      Given an aid case for C-0001 approved for one-off relief of 600.00 from county-aid
      When the aid officer tries to deliver it (落實)
      Then it is refused with InsufficientFunds naming fund
      And the aid case is still approved, its history unchanged
      And the aid case has paid 0.00
      And fund county-aid holds 500.00 yuan, having paid out 0.00
      When the fund county-aid receives 100.00 yuan from "city federation allocation"
      And the aid officer tries to deliver it (落實)
      Then the payment is made
      And fund county-aid holds 0.00 yuan, having paid out 600.00

    Scenario: two officers paying from the same fund at the same moment cannot overdraw it
      Given an aid case for C-0001 approved for one-off relief of 300.00 from county-aid
      And an aid case for C-0002 approved for one-off relief of 300.00 from county-aid
      When two officers deliver both at the same moment, each retrying a lost race
      Then one is paid and the other refused with InsufficientFunds
      And fund county-aid holds 200.00 yuan, having paid out 300.00

    Scenario Outline: a contribution of <amount> is refused (<why>)
      When the fund <fund> receives <amount> yuan from "<source>"
      Then it is refused with <error> naming <field>
      And fund county-aid holds 500.00 yuan, having paid out 0.00

      Examples:
        | fund       | amount | source          | error        | field  | why                   |
        | county-aid | 0      | one day's pay   | InvalidInput | amount | nothing to add        |
        | county-aid | -10.00 | one day's pay   | InvalidInput | amount | money out is not in   |
        | county-aid | NaN    | one day's pay   | InvalidInput | amount | not a number          |
        | county-aid | 0.001  | one day's pay   | InvalidInput | amount | less than a fen       |
        | county-aid | 10.00  |                 | InvalidInput | source | from nobody knows who |
        | no-fund    | 10.00  | one day's pay   | CaseNotFound | fund   | no such fund          |

    Scenario: a fund is opened once
      When the aid officer opens fund county-aid again
      Then it is refused with AlreadyExists naming fund
      And fund county-aid holds 500.00 yuan, having paid out 0.00

  Rule: A quarterly payout pays each subsidy its months in the quarter, once (按季發放)

    Background:
      Given an aid fund county-aid holding 10000.00 yuan

    Scenario Outline: a subsidy from <first>, <duration>, is paid <paid> for <quarter>
      Given an aid case for C-0001 approved for a monthly subsidy of 200.00 from county-aid from <first>, <duration>
      When the aid officer pays <quarter> on <on>
      Then the payout pays the subsidy <paid>

      Examples:
        | first   | duration      | quarter | on         | paid    |
        | 2023-01 | open-ended    | 2023Q1  | 2023-03-25 | 600.00  |
        | 2023-02 | open-ended    | 2023Q1  | 2023-03-25 | 400.00  |
        | 2023-03 | open-ended    | 2023Q1  | 2023-03-25 | 200.00  |
        | 2023-01 | for 2 months  | 2023Q1  | 2023-03-25 | 400.00  |
        | 2022-11 | for 3 months  | 2023Q1  | 2023-03-25 | 200.00  |
        | 2023-05 | open-ended    | 2023Q1  | 2023-03-25 | nothing |
        | 2023-01 | for 3 months  | 2023Q2  | 2023-06-25 | nothing |
        | 2023-05 | for 1 month   | 2023Q2  | 2023-06-25 | 200.00  |
        | 2023-06 | for 12 months | 2023Q3  | 2023-09-25 | 600.00  |

    Scenario: paying the same quarter twice pays nothing twice
      Given an aid case for C-0001 approved for a monthly subsidy of 200.00 from county-aid from 2023-01
      And an aid case for C-0002 approved for a monthly subsidy of 150.00 from county-aid from 2023-01
      When the aid officer pays 2023Q1 on 2023-03-25
      Then the payout pays C-0001 600.00 and C-0002 450.00
      When the aid officer pays 2023Q1 on 2023-03-26
      Then the payout pays nobody, and says C-0001 and C-0002 were already paid
      And fund county-aid holds 8950.00 yuan, having paid out 1050.00
      And the subsidy of C-0001 has paid 600.00, for 2023Q1

    Scenario: an open-ended subsidy is paid every quarter until its case is withdrawn
      Given an aid case for C-0001 approved for a monthly subsidy of 200.00 from county-aid from 2023-01, open-ended
      When the aid officer pays 2023Q1 on 2023-03-25
      And the aid officer pays 2023Q2 on 2023-06-25
      Then the subsidy of C-0001 has paid 1200.00, for 2023Q1 and 2023Q2
      When the aid officer withdraws the case of C-0001 on 2023-06-28
      And the aid officer pays 2023Q3 on 2023-09-25
      Then the payout pays nobody
      And the subsidy of C-0001 has paid 1200.00, for 2023Q1 and 2023Q2

    Scenario: a payout the funds cannot cover pays nobody
      Given an aid fund small-aid holding 1000.00 yuan
      And an aid case for C-0001 approved for a monthly subsidy of 200.00 from small-aid from 2023-01
      And an aid case for C-0002 approved for a monthly subsidy of 200.00 from small-aid from 2023-01
      When the aid officer pays 2023Q1 on 2023-03-25
      Then the payout is refused: fund small-aid cannot cover it
      And fund small-aid holds 1000.00 yuan, having paid out 0.00
      And the subsidy of C-0001 has paid 0.00, for no quarter
      And the subsidy of C-0002 has paid 0.00, for no quarter

    Scenario Outline: a payout of <quarter> on <on> is refused (<why>)
      Given an aid case for C-0001 approved for a monthly subsidy of 200.00 from county-aid from 2023-01
      When the aid officer pays <quarter> on <on>
      Then it is refused with InvalidInput naming <field>
      And the subsidy of C-0001 has paid 0.00, for no quarter

      Examples:
        | quarter | on         | field   | why                         |
        | 2023Q2  | 2023-03-25 | at      | the quarter has not begun   |
        | 2023Q5  | 2023-03-25 | quarter | a year has four quarters    |

  Rule: A condolence campaign pays each listed worker once (元旦春節慰問)

    Background:
      Given an aid fund county-aid holding 1000.00 yuan
      And a worker C-0001 on the hardship register
      And a worker C-0002 on the hardship register
      And a worker C-0003 on the hardship register

    Scenario: a campaign pays each listed worker a fixed amount, recorded per worker
      When the aid officer runs campaign 2023-spring-festival paying 200.00 each to C-0001, C-0002
      Then the campaign pays C-0001, C-0002 200.00 each
      And fund county-aid holds 600.00 yuan, having paid out 400.00
      And the register records 2023-spring-festival for C-0001, C-0002 but not C-0003

    Scenario: re-running the same campaign pays nobody twice
      When the aid officer runs campaign 2023-spring-festival paying 200.00 each to C-0001, C-0002
      And the aid officer runs campaign 2023-spring-festival paying 200.00 each to C-0001, C-0002, C-0003
      Then the campaign pays C-0003 200.00 each, and says C-0001, C-0002 were already paid
      When the aid officer runs campaign 2023-spring-festival paying 200.00 each to C-0001, C-0002, C-0003
      Then the campaign pays nobody 200.00 each, and says C-0001, C-0002, C-0003 were already paid
      And fund county-aid holds 400.00 yuan, having paid out 600.00

    Scenario: another campaign pays the same workers again
      When the aid officer runs campaign 2023-new-year paying 100.00 each to C-0001, C-0002
      And the aid officer runs campaign 2023-spring-festival paying 200.00 each to C-0001, C-0002
      Then the campaign pays C-0001, C-0002 200.00 each
      And fund county-aid holds 400.00 yuan, having paid out 600.00

    Scenario: a campaign the fund cannot cover pays nobody
      When the aid officer runs campaign 2023-spring-festival paying 400.00 each to C-0001, C-0002, C-0003
      Then it is refused with InsufficientFunds naming fund
      And fund county-aid holds 1000.00 yuan, having paid out 0.00
      And the register records 2023-spring-festival for nobody but not C-0001, C-0002, C-0003

    Scenario Outline: a campaign paying <amount> each to <workers> is refused (<why>)
      When the aid officer runs campaign 2023-spring-festival paying <amount> each to <workers>
      Then it is refused with <error> naming <field>
      And fund county-aid holds 1000.00 yuan, having paid out 0.00
      And no register entry changed

      Examples:
        | workers        | amount | error        | field   | why                      |
        | C-0001, C-0001 | 200.00 | InvalidInput | workers | a worker listed twice    |
        | C-0001, C-0009 | 200.00 | CaseNotFound | C-0009  | C-0009 is not registered |
        | C-0001         | 0      | InvalidInput | amount  | nothing to pay           |
        | C-0001         | -50.00 | InvalidInput | amount  | not a payment            |
