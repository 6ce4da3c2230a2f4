import MybroCore
import MybroGPU
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("1.50", 150), ("$2.10", 210), ("103.4", 10340), ("0", 0), ("5", 500), (".5", 50), ("0.125", 13),
        ("0.124", 12), ("3.14", 314),
    ])
    func dollarStringsBecomeCents(text: String, cents: Int) {
        #expect(Money.cents(fromDollars: text) == cents)
    }

    @Test(arguments: ["", "abc", "1.2.3", "-1", "1e3", "$", ".", "9999999999999"])
    func nonsenseIsRefused(text: String) {
        #expect(Money.cents(fromDollars: text) == nil)
    }

    @Test func dollarsRoundTrip() {
        for cents in [0, 1, 9, 10, 99, 100, 101, 12345] {
            #expect(Money.cents(fromDollars: Money.dollars(cents)) == cents)
        }
        #expect(Money.dollars(210) == "2.10")
    }

    @Test func costRoundsHalfUpToTheCent() {
        #expect(Money.cost(hourlyCents: 249, seconds: 3600) == 249)
        #expect(Money.cost(hourlyCents: 100, seconds: 18) == 1)  // 0.5 cents rounds up
        #expect(Money.cost(hourlyCents: 100, seconds: 17) == 0)
    }

    @Test func durations() {
        #expect(DurationText.seconds("2h") == 7200)
        #expect(DurationText.seconds("1h30m") == 5400)
        #expect(DurationText.seconds("90") == 90)
        #expect(DurationText.seconds("2x") == nil)
        #expect(DurationText.seconds("h") == nil)
        #expect(DurationText.seconds("1e300") == nil)
    }
}
