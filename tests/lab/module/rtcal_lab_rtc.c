// SPDX-License-Identifier: GPL-2.0
/*
 * rtcal_lab_rtc: a platform RTC for rtcal's QEMU lab with its own trim
 * register, so `rtcal trim` can be tested against a real kernel RTC class
 * device (/dev/rtcN, RTC_PARAM_GET/SET correction, /sys/class/rtc/rtcN/offset).
 *
 * Its oscillator is the guest's raw monotonic clock: the RTC's value advances
 * at (1 + rate) seconds per second, rate = drift_ppb - sign * offset_ppb (ppb,
 * + = gains). The offset follows Linux's convention (+ slows the RTC) when
 * sign is 1; sign -1 makes a chip that does the opposite. set_offset rounds
 * to whole steps of step_ppb and clamps to +-range_steps steps, as the
 * PCF8523's driver does. No alarm, no interrupts: readers poll for edges.
 *
 * Module parameters: drift_ppb, step_ppb, range_steps, sign.
 */
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/rtc.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

static long drift_ppb = 20000000;
module_param(drift_ppb, long, 0444);
MODULE_PARM_DESC(drift_ppb, "the RTC's own rate, ppb (+ = gains)");
static long step_ppb = 3000000;
module_param(step_ppb, long, 0444);
MODULE_PARM_DESC(step_ppb, "one step of the trim register, ppb");
static int range_steps = 64;
module_param(range_steps, int, 0444);
MODULE_PARM_DESC(range_steps, "the trim register holds -range_steps..range_steps steps");
static int sign = 1;
module_param(sign, int, 0444);
MODULE_PARM_DESC(sign, "1: + offset slows the RTC (Linux's convention); -1: the opposite");

struct lab_rtc {
	spinlock_t lock;
	s64 anchor_raw_ns;   /* the oscillator (raw monotonic) at the anchor */
	s64 anchor_value_ns; /* the RTC's value there, ns since 1970 */
	long offset_ppb;     /* the trim register */
};

static struct platform_device *lab_pdev;

/* The RTC's value at raw time `raw`; caller holds the lock. */
static s64 lab_value_ns(const struct lab_rtc *r, s64 raw)
{
	s64 elapsed = raw - r->anchor_raw_ns;
	s64 rate_ppb = drift_ppb - (s64)sign * r->offset_ppb;

	return r->anchor_value_ns + elapsed + div_s64(elapsed * rate_ppb, 1000000000);
}

static void lab_reanchor(struct lab_rtc *r, s64 raw)
{
	r->anchor_value_ns = lab_value_ns(r, raw);
	r->anchor_raw_ns = raw;
}

static int lab_read_time(struct device *dev, struct rtc_time *tm)
{
	struct lab_rtc *r = dev_get_drvdata(dev);
	unsigned long flags;
	s64 value;

	spin_lock_irqsave(&r->lock, flags);
	value = lab_value_ns(r, ktime_get_raw_ns());
	spin_unlock_irqrestore(&r->lock, flags);
	rtc_time64_to_tm(div_s64(value, NSEC_PER_SEC), tm);
	return 0;
}

static int lab_set_time(struct device *dev, struct rtc_time *tm)
{
	struct lab_rtc *r = dev_get_drvdata(dev);
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	r->anchor_raw_ns = ktime_get_raw_ns();
	r->anchor_value_ns = rtc_tm_to_time64(tm) * NSEC_PER_SEC;  /* a set restarts the second */
	spin_unlock_irqrestore(&r->lock, flags);
	return 0;
}

static int lab_read_offset(struct device *dev, long *offset)
{
	struct lab_rtc *r = dev_get_drvdata(dev);

	*offset = READ_ONCE(r->offset_ppb);
	return 0;
}

static int lab_set_offset(struct device *dev, long offset)
{
	struct lab_rtc *r = dev_get_drvdata(dev);
	unsigned long flags;
	long steps = clamp(DIV_ROUND_CLOSEST(offset, step_ppb), (long)-range_steps, (long)range_steps);

	spin_lock_irqsave(&r->lock, flags);
	lab_reanchor(r, ktime_get_raw_ns());  /* the value stays continuous; the rate changes from now */
	r->offset_ppb = steps * step_ppb;
	spin_unlock_irqrestore(&r->lock, flags);
	return 0;
}

static const struct rtc_class_ops lab_rtc_ops = {
	.read_time = lab_read_time,
	.set_time = lab_set_time,
	.read_offset = lab_read_offset,
	.set_offset = lab_set_offset,
};

static int lab_probe(struct platform_device *pdev)
{
	struct lab_rtc *r;
	struct rtc_device *rtc;

	if (step_ppb <= 0 || range_steps <= 0 || (sign != 1 && sign != -1))
		return -EINVAL;
	r = devm_kzalloc(&pdev->dev, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	spin_lock_init(&r->lock);
	r->anchor_raw_ns = ktime_get_raw_ns();
	r->anchor_value_ns = ktime_get_real_ns();  /* starts at the guest's system time */
	platform_set_drvdata(pdev, r);
	rtc = devm_rtc_allocate_device(&pdev->dev);
	if (IS_ERR(rtc))
		return PTR_ERR(rtc);
	rtc->ops = &lab_rtc_ops;
	rtc->range_max = U32_MAX;
	clear_bit(RTC_FEATURE_UPDATE_INTERRUPT, rtc->features);
	return devm_rtc_register_device(rtc);
}

static struct platform_driver lab_driver = {
	.probe = lab_probe,
	.driver = { .name = "rtcal_lab_rtc" },
};

static int __init lab_init(void)
{
	int err = platform_driver_register(&lab_driver);

	if (err)
		return err;
	lab_pdev = platform_device_register_simple("rtcal_lab_rtc", -1, NULL, 0);
	if (IS_ERR(lab_pdev)) {
		platform_driver_unregister(&lab_driver);
		return PTR_ERR(lab_pdev);
	}
	return 0;
}

static void __exit lab_exit(void)
{
	platform_device_unregister(lab_pdev);
	platform_driver_unregister(&lab_driver);
}

module_init(lab_init);
module_exit(lab_exit);
MODULE_DESCRIPTION("rtcal lab: a drifting RTC with a trim register");
MODULE_LICENSE("GPL");
